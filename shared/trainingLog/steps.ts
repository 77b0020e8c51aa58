// Step numbers. HF Trainer dicts carry no step: the step is the `n` of the tqdm frame printed just
// before the dict, or — when there is no fresh frame (stderr not captured, or stdout flushed in a
// burst) — one more than the previous step. Eval and summary dicts belong to the step training
// reached. Each format and rank counts on its own: DeepSpeed's every-100-steps line must not shift
// the Trainer's count, and interleaved ranks each have their own sequence.

/** Codes are indexes into STEP_SOURCES. */
const FROM_LINE = 0;
const FROM_TQDM = 1;
const FROM_COUNT = 2;

interface Last {
  step: number;
  source: number;
}

export interface StepAssignment {
  step: number;
  source: number;
  /** Set when a training step went back: the step it came back from. */
  resumedFrom: number;
}

export class StepTracker {
  private readonly last = new Map<number, Last>();
  private lastStream = -1;
  private lastEntry: Last | undefined;

  /** `stream` = one number per (format, rank); `explicit` = a step printed in the record (NaN if
   * none); `tqdm` = the bar's `n` before it (-1 if none). Eval and summary records (`train` false)
   * take the step training reached. */
  assign(stream: number, train: boolean, explicit: number, tqdm: number, out: StepAssignment): void {
    let last = stream === this.lastStream ? this.lastEntry : this.last.get(stream);
    out.resumedFrom = NaN;
    if (!Number.isNaN(explicit)) {
      out.step = explicit;
      out.source = FROM_LINE;
    } else if (!train) {
      out.step = last?.step ?? 0;
      out.source = last?.source ?? FROM_COUNT;
    } else if (tqdm >= 0 && tqdm !== last?.step) {
      out.step = tqdm;
      out.source = FROM_TQDM;
    } else {
      out.step = (last?.step ?? 0) + 1;
      out.source = FROM_COUNT;
    }
    if (!train) return;
    if (last === undefined) {
      last = { step: out.step, source: out.source };
      this.last.set(stream, last);
    } else {
      if (out.source !== FROM_COUNT && out.step < last.step) out.resumedFrom = last.step;
      last.step = out.step;
      last.source = out.source;
    }
    this.lastStream = stream;
    this.lastEntry = last;
  }
}
