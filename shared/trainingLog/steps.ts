// Step numbers. HF Trainer dicts carry no step: the step is the `n` of the tqdm frame printed just
// before the dict, or — when there is no fresh frame (stderr not captured, or stdout flushed in a
// burst) — one more than the previous step. Eval and summary dicts belong to the step training
// reached. Each format and rank counts on its own: DeepSpeed's every-100-steps line must not shift
// the Trainer's count, and interleaved ranks each have their own sequence.

/** Codes are indexes into STEP_SOURCES. */
export const FROM_LINE = 0;
const FROM_TQDM = 1;
const FROM_COUNT = 2;

class Last {
  constructor(
    public step: number,
    public source: number,
  ) {}
}

/** assign()'s inputs that are numbers of any size and its result: fields of a class rather than
 * arguments and a return value, which as doubles would each be a heap allocation per record. */
export class StepAssignment {
  /** In: the step printed in the record, NaN if none. */
  explicit = NaN;
  /** In: the tqdm bar's `n` before it, -1 if none. */
  tqdm = -1;
  step = 0;
  source = 0;
  /** Set when a training step went back: the step it came back from. */
  resumedFrom = NaN;
}

export class StepTracker {
  private readonly last = new Map<number, Last>();
  private lastStream = -1;
  private lastEntry: Last | undefined;

  /** The streams that have a step so far. */
  streams(): number[] {
    return [...this.last.keys()];
  }

  /** `stream` = one number per (format, rank); `out.explicit` and `out.tqdm` say what the record
   * shows. Eval and summary records (`train` false) take the step training reached. */
  assign(stream: number, train: boolean, out: StepAssignment): void {
    let last = stream === this.lastStream ? this.lastEntry : this.last.get(stream);
    const { explicit, tqdm } = out;
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
      last = new Last(out.step, out.source);
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
