import { z } from 'zod';
import type { FixContext } from './guideTypes';
import { TrainingForm } from './trainingForm';

/** The forms of later steps an action acts on, beside the guide's answers and the container options. */
export const ActionInputs = z.object({
  training: TrainingForm.nullable(),
});
export type ActionInputs = z.infer<typeof ActionInputs>;

export const NO_INPUTS: ActionInputs = { training: null };

/** For fixes run without a precheck or a form (Step 1's, through guide:runFix). */
export const NO_CONTEXT: FixContext = { inputs: NO_INPUTS, precheck: [] };
