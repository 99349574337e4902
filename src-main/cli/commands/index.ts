import type { CliCommand } from '../command.ts';
import { command as agreement } from './agreement.ts';
import { command as benchQrs } from './bench-qrs.ts';
import { command as convertSignals } from './convert-signals.ts';
import { command as evalModel } from './eval.ts';
import { command as explain } from './explain.ts';
import { command as exportDataset } from './export.ts';
import { command as exportModel } from './export-model.ts';
import { command as importModel } from './import-model.ts';
import { command as ingest } from './ingest.ts';
import { command as labelErrors } from './label-errors.ts';
import { command as models } from './models.ts';
import { command as predict } from './predict.ts';
import { command as predictions } from './predictions.ts';
import { command as report } from './report.ts';
import { command as rules } from './rules.ts';
import { command as selectionList } from './selection-list.ts';
import { command as selectionSave } from './selection-save.ts';
import { command as selectionShow } from './selection-show.ts';
import { command as serve } from './serve.ts';
import { command as tagAdd, removeCommand as tagRemove } from './tag-add.ts';
import { command as tagList } from './tag-list.ts';
import { command as train } from './train.ts';
import { command as boundaries } from './boundaries.ts';
import { command as worklist } from './worklist.ts';
import { command as settings } from './settings.ts';

/** Every CLI command. A new command is a new file in this folder plus one entry here. */
export const COMMANDS: CliCommand[] = [
  serve,
  ingest,
  rules,
  train,
  predict,
  evalModel,
  models,
  importModel,
  exportModel,
  explain,
  exportDataset,
  benchQrs,
  convertSignals,
  report,
  boundaries,
  selectionSave,
  selectionList,
  selectionShow,
  tagAdd,
  tagRemove,
  tagList,
  labelErrors,
  agreement,
  worklist,
  settings,
  predictions,
];
