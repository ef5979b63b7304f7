// Every string the drawing pad shows, in one place so it can be localised.
export const DRAW_TEXT = {
  title: 'Draw a digit',
  intro:
    'Draw with the mouse or a pen. After every stroke the network reads the 28×28 picture MNIST would have made of it (the same preprocessing as Predict Digit in Image…): the 512 hidden units light up, and the ten outputs say which digit it sees.',
  waiting: 'Waiting for the model’s weights…',
  clear: 'Clear',
  clearLabel: 'Clear the drawing',
  padLabel: 'Drawing area, 280 by 280 pixels: draw a digit here',
  inputTitle: 'What the network sees',
  inputCaption: '28×28, centred like MNIST',
  probabilitiesTitle: 'Its answer',
  answer: (digit: number, percent: string) => `a ${digit} (${percent})`,
  nothing: 'draw something',
  hiddenTitle: 'The 512 hidden units (16 × 32)',
  hiddenCaption:
    'The stronger the colour, the more active the unit after ReLU; blank ones are switched off for this drawing. Outlined: the units that pushed hardest toward the answer.',
  topTitle: 'Units that pushed hardest toward the answer',
  topCaption:
    'Each: its 784 input weights as a 28×28 image (the pattern of ink it responds to) and how much it added to the answer’s score (activation × its weight to that digit).',
  unit: (unit: number, contribution: string) => `unit ${unit}: +${contribution}`,
  unitLabel: (unit: number) => `Input weights of hidden unit ${unit}`,
};
