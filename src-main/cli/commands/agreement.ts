import { agreementReport } from '../../workspace/annotator-agreement.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

const fixed = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));

export const command: CliCommand = {
  name: ['agreement'],
  summary: "reviewers' agreement per class (Cohen or Fleiss kappa) and per reviewer, their disagreements and consensus",
  usage: `leadlens agreement [--model ID] [--workspace DIR] [--json]
         Over the records reviewers submitted (accepted, corrected or reviewed). The consensus weights each reviewer by
         their estimated quality (Dawid-Skene); with --model, together with that model's probabilities (CROWDLAB-style).
         --json adds every consensus label with its confidence.`,
  options: { model: 'string' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`agreement takes no positional arguments, got '${args.positionals[0]}'`);
    const model = args.options.model;
    let modelId: number | undefined;
    if (model !== undefined) {
      modelId = Number(model);
      if (typeof model !== 'string' || !Number.isSafeInteger(modelId) || modelId < 1)
        throw new UsageError(`--model needs a model id, got '${String(model)}'`);
    }
    const r = agreementReport(ctx.workspace().db, { modelId });
    if (r.reviewers.length === 0) {
      ctx.log('no record has been submitted by a reviewer yet (accept, correct or mark reviewed)');
      return r;
    }
    ctx.log(
      `${r.reviewers.length} reviewers (${r.reviewers.join(', ')}) on ${r.records} records${r.modelId ? `, consensus with model ${r.modelId}` : ''}`,
    );
    ctx.log('class       n  kappa  agreement  kind    consensus+  method');
    for (const c of r.classes)
      ctx.log(
        `${c.code.padEnd(10)} ${String(c.n).padStart(2)}  ${fixed(c.kappa).padStart(5)}  ${fixed(c.agreement).padStart(9)}  ${c.kappaKind.padEnd(6)}  ${String(c.consensusPositives).padStart(10)}  ${c.method}`,
      );
    ctx.log('reviewer            records  vs consensus  kappa  est. accuracy');
    for (const q of r.reviewerAgreement)
      ctx.log(
        `${q.reviewer.padEnd(18)}  ${String(q.records).padStart(7)}  ${fixed(q.agreement).padStart(12)}  ${fixed(q.kappa).padStart(5)}  ${fixed(q.estimatedAccuracy).padStart(13)}`,
      );
    ctx.log(`${r.disagreements.length} records where reviewers disagree (worklist queue 'Reviewers disagree')`);
    for (const d of r.disagreements.slice(0, 20)) ctx.log(`  ${d.recordName} (#${d.recordId}): ${d.codes.join(', ')}`);
    return r;
  },
};
