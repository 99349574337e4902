import type { CliCommand } from '../command.ts';
import { UsageError, type CliArgs } from '../command.ts';
import { listOption } from '../parse-args.ts';
import { MAX_WORKERS, fineTuneInWorkspace, trainInWorkspace } from '../../workspace/train-model.ts';
import { chartInputCard } from '../../chart/chart-input.ts';
import { NAMED_LAYOUTS } from '../../../src-shared/chart/chart-layout.ts';
import { IMAGE_INPUT_KINDS, isImageInputKind } from '../../../src-shared/image-inputs.ts';
import { challengeWeightsCsv } from '../../resources.ts';

const intOption = (v: string | boolean | undefined, name: string, def?: number, min = 1): number | undefined => {
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      `--${name} needs a ${min === 0 ? 'whole number (0 or more)' : 'positive integer'}, got '${String(v).slice(0, 40)}'`,
    );
  }
  return n;
};

export const command: CliCommand = {
  name: ['train'],
  summary: "train a model on the workspace's current labels (in a worker thread) and store it with its lineage",
  usage: `leadlens train --arch NAME --leads 12|6|4|3|2 [--classes CODES] [--epochs N] [--folds K] [--seed N] [--workers N] [--json]
       leadlens train --arch image-cnn [--input chart] --layout L[,L...] [--px-per-mm N] [same options]
         the image CNN trains on the records rendered as charts (layouts ${NAMED_LAYOUTS.join(', ')} or RxC[+LEAD]);
         several layouts train one layout-robust model on every record in each; default 1 px/mm, gray ink and grid.
         The card keeps the rendering, so predict (first layout) and explain draw records the same way.
       leadlens train --arch image-cnn --input gaf|mtf|rp [--image-size N] [same options]
         each lead (100 Hz, 10 s, band-passed, z-scored) becomes a Gramian angular (summation) field, Markov transition
         field (8 quantile bins) or recurrence plot of N x N pixels (default 64); the leads are the image's channels.
       --train-on SELECTION [--validate-on SELECTION]: train on a saved selection (split into train and test by
         patient) and validate on another; records of a patient in both are dropped from training (counted).
       Records without any SNOMED label are left out of training (counted); --unlabelled-as-normal trains them as
         sinus rhythm instead.
       --workers N: data-parallel training with N gradient worker threads (1..${MAX_WORKERS}, default 1).
       --sensitivity S: each class's operating threshold reaches sensitivity S (0-1] on the validation split
         (default: the threshold that maximises the class's F1 there); stated in the model's metrics.
       --label-source consensus: train on the reviewers' consensus (leadlens agreement) where they reviewed a record.
       --exclude-suspected [RUN_ID] [--suspected-top K | --suspected-min-score S]: leave out the records the newest (or
         the given) label-error run suspects: its K most suspect, or those scoring S or more, else every flagged one;
         recorded in the model's lineage.
       leadlens train --fine-tune MODEL_ID [--epochs N]   (retrain the head on current labels, backbone frozen)`,
  options: {
    arch: 'string',
    leads: 'string',
    classes: 'list',
    epochs: 'string',
    folds: 'string',
    seed: 'string',
    layout: 'list',
    'px-per-mm': 'string',
    'fine-tune': 'string',
    input: 'string',
    'image-size': 'string',
    workers: 'string',
    'train-on': 'string',
    'validate-on': 'string',
    'unlabelled-as-normal': 'boolean',
    sensitivity: 'string',
    'label-source': 'string',
    'exclude-suspected': 'boolean',
    'suspected-top': 'string',
    'suspected-min-score': 'string',
  },
  async run(args, ctx) {
    if (args.options['fine-tune'] !== undefined) {
      const parent = intOption(args.options['fine-tune'], 'fine-tune') as number;
      const bar = ctx.progress('fine-tune');
      const r = await fineTuneInWorkspace(ctx.workspace(), parent, {
        epochs: intOption(args.options.epochs, 'epochs'),
        weightsCsv: challengeWeightsCsv(),
        signal: ctx.signal,
        onProgress: (e) => bar.update(e.step, e.steps, `epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`),
      });
      bar.finish();
      ctx.log(`model ${r.modelId}: head of model ${parent} retrained, validation ${r.metricName} ${r.validationScore.toFixed(3)}`);
      return r;
    }
    const arch = args.options.arch;
    if (typeof arch !== 'string')
      throw new UsageError('train needs --arch (small-cnn, resnet-se, dilated-cnn, dilated-cnn-leadwise, crnn, image-cnn)');
    const leads = intOption(args.options.leads, 'leads', 12) as number;
    const layouts = listOption(args, 'layout');
    const pxPerMm = args.options['px-per-mm'] === undefined ? undefined : Number(args.options['px-per-mm']);
    const input = args.options.input;
    if (input !== undefined && (typeof input !== 'string' || !isImageInputKind(input)))
      throw new UsageError(`--input must be one of ${IMAGE_INPUT_KINDS.join(', ')}`);
    const imageSize = intOption(args.options['image-size'], 'image-size');
    const workers = intOption(args.options.workers, 'workers');
    if (workers !== undefined && workers > MAX_WORKERS) throw new UsageError(`--workers must be 1..${MAX_WORKERS}, got ${workers}`);
    if (arch !== 'image-cnn' && (input !== undefined || imageSize !== undefined))
      throw new UsageError('--input and --image-size apply to --arch image-cnn only');
    if (arch === 'image-cnn' && (input ?? 'chart') === 'chart') {
      if (imageSize !== undefined) throw new UsageError('--image-size applies to signal images (--input gaf, mtf or rp), not charts');
      if (!layouts?.length) throw new UsageError('image-cnn trains on rendered charts: it needs --layout (e.g. 3x4+II or 3x4+II,6x2,12x1)');
      try {
        chartInputCard(layouts, pxPerMm ?? 1, leads);
      } catch (e) {
        throw new UsageError((e as Error).message.split('\n')[0]);
      }
    } else if (layouts || pxPerMm !== undefined)
      throw new UsageError('--layout and --px-per-mm apply to --arch image-cnn --input chart only');
    const classes = listOption(args, 'classes');
    const selectionName = (name: string): string | undefined => {
      const v = args.options[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a saved selection name`);
      return v.trim();
    };
    const trainOn = selectionName('train-on');
    const validateOn = selectionName('validate-on');
    if (validateOn !== undefined && trainOn === undefined) throw new UsageError('--validate-on needs --train-on');
    const sensitivity = args.options.sensitivity === undefined ? undefined : Number(args.options.sensitivity);
    if (sensitivity !== undefined && !(sensitivity > 0 && sensitivity <= 1))
      throw new UsageError(`--sensitivity needs a number in (0, 1], got '${String(args.options.sensitivity).slice(0, 40)}'`);
    const labelSource = args.options['label-source'];
    if (labelSource !== undefined && labelSource !== 'current' && labelSource !== 'consensus')
      throw new UsageError(`--label-source must be current or consensus, got '${String(labelSource)}'`);
    const excludeSuspected = suspectedOption(args);
    const bar = ctx.progress('train');
    const r = await trainInWorkspace(ctx.workspace(), {
      ...(excludeSuspected ? { excludeSuspected } : {}),
      ...(trainOn ? { trainOn } : {}),
      ...(validateOn ? { validateOn } : {}),
      unlabelledAsNormal: args.options['unlabelled-as-normal'] === true,
      ...(labelSource ? { labelSource } : {}),
      arch,
      leads,
      classes,
      layouts,
      pxPerMm,
      ...(input ? { input } : {}),
      imageSize,
      workers,
      ...(sensitivity !== undefined ? { thresholdRule: { kind: 'sensitivity' as const, target: sensitivity } } : {}),
      epochs: intOption(args.options.epochs, 'epochs'),
      folds: intOption(args.options.folds, 'folds'),
      seed: intOption(args.options.seed, 'seed', undefined, 0),
      weightsCsv: challengeWeightsCsv(),
      signal: ctx.signal,
      onProgress: (label, e) => bar.update(e.step, e.steps, `${label} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`),
    });
    bar.finish();
    const reads = layouts ? ` on ${layouts.join(', ')} charts` : input && input !== 'chart' ? ` on ${input} signal images` : '';
    ctx.log(
      `model ${r.modelId}: ${arch}${reads}, ${leads} leads, ${r.classes.length} classes, on ${r.backend}; split ${r.split.train}/${r.split.validation}/${r.split.test}`,
    );
    const rec = r.records;
    if (rec.trainOn)
      ctx.log(`trained on selection '${rec.trainOn.name}'${rec.validateOn ? `, validated on '${rec.validateOn.name}'` : ''}`);
    if (rec.unlabelled.records)
      ctx.log(
        `${rec.unlabelled.records} records without labels ${rec.unlabelled.policy === 'excluded' ? 'left out' : 'trained as normal'}`,
      );
    if (rec.droppedSharedPatients.records)
      ctx.log(
        `${rec.droppedSharedPatients.records} training records of ${rec.droppedSharedPatients.patients} patients in the validation selection dropped`,
      );
    if (rec.excludedSuspected)
      ctx.log(
        `${rec.excludedSuspected.records} records left out as suspected label errors of label-error run ${rec.excludedSuspected.runId}`,
      );
    if (rec.labels.source === 'consensus') {
      const c = rec.labels.consensus;
      ctx.log(
        c
          ? `targets: ${c.method} consensus of ${c.reviewers.join(', ')} on ${c.records} records (sha256 ${c.labelsSha256.slice(0, 12)}), current labels elsewhere`
          : 'targets: no record has a submitted review, so the current labels were used throughout',
      );
    }
    ctx.log(`best epoch ${r.bestEpoch}, validation ${r.metricName} ${r.validationScore.toFixed(3)}`);
    ctx.log(
      `operating thresholds (${r.thresholds[0]?.rule ?? 'none'}): ${r.thresholds.map((t) => `${t.code} ${t.threshold.toFixed(2)}`).join(', ')}`,
    );
    return r;
  },
};

/** `--exclude-suspected [RUN_ID] [--suspected-top K | --suspected-min-score S]` (the run id is the one positional). */
function suspectedOption(args: CliArgs): { runId?: number; top?: number; minScore?: number } | undefined {
  const top = args.options['suspected-top'];
  const min = args.options['suspected-min-score'];
  if (!args.options['exclude-suspected']) {
    if (top !== undefined || min !== undefined) throw new UsageError('--suspected-top and --suspected-min-score need --exclude-suspected');
    if (args.positionals.length) throw new UsageError(`train takes no argument '${args.positionals[0].slice(0, 40)}'`);
    return undefined;
  }
  if (top !== undefined && min !== undefined) throw new UsageError('give --suspected-top or --suspected-min-score, not both');
  if (args.positionals.length > 1 || (args.positionals.length === 1 && !/^\d+$/.test(args.positionals[0])))
    throw new UsageError(`--exclude-suspected takes one label-error run id, got '${args.positionals.join(' ').slice(0, 40)}'`);
  const minScore = min === undefined ? undefined : Number(min);
  if (minScore !== undefined && (typeof min !== 'string' || min.trim() === '' || !Number.isFinite(minScore)))
    throw new UsageError(`--suspected-min-score needs a number, got '${String(min).slice(0, 40)}'`);
  return {
    ...(args.positionals.length ? { runId: Number(args.positionals[0]) } : {}),
    ...(top !== undefined ? { top: intOption(top, 'suspected-top') } : {}),
    ...(minScore !== undefined ? { minScore } : {}),
  };
}
