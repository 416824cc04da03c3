// A claim's verdict in words: short on a badge, whole in its title.

export const VERDICT_WORDS: Record<string, string> = {
  supported: 'supported',
  refuted: 'refuted',
  depends: 'depends',
  undecided: 'undecided',
  untested: 'not modelled',
};

export const VERDICT_TITLES: Record<string, string> = {
  supported: 'supported by the model',
  refuted: 'refuted by the model',
  depends: 'depends on the kernel era or filesystem',
  undecided: 'undecided: the search did not finish',
  untested: 'not modelled by the engine',
};
