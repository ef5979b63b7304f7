import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type InkGrid,
  MIN_INK_SPAN,
  countHoles,
  inkGrid,
  inkSpan,
  inputInkSpan,
  inputShape,
  shapeCounts,
  shapeKey,
  skeleton,
  unseenShape,
} from '../../../src/shared/digitShape';
import { TRAINING_SHAPES } from '../../../src/shared/digitShapeTable';
import { MNIST_PIXELS, MNIST_SIDE } from '../../../src/shared/mnist';
import { loadMnist } from '../../../src/trainer/mnistLoader';

/** '#' is ink, anything else paper. */
function grid(rows: string[]): InkGrid {
  return inkGrid(
    Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)),
    rows[0].length,
    rows.length,
  );
}

function picture(g: InkGrid): string[] {
  return Array.from({ length: g.height }, (_, y) =>
    Array.from(g.bits.subarray(y * g.width, (y + 1) * g.width), (b) => (b === 1 ? '#' : '.')).join(''),
  );
}

/** A thick ring (a 0). */
const RING = ['.......', '.#####.', '.##.##.', '.#...#.', '.##.##.', '.#####.', '.......'];
/** Two strokes two pixels wide crossing (an X). */
const CROSS = ['.........', '.##...##.', '..##.##..', '...###...', '...###...', '..##.##..', '.##...##.', '.........'];

test('digitShape: a ring has one hole, and its skeleton no end and no fork', () => {
  assert.deepEqual(shapeCounts(grid(RING)), { holes: 1, endpoints: 0, junctions: 0 });
});

test('digitShape: two rings one above the other (an 8) have two holes', () => {
  const eight = ['......', '.####.', '.#..#.', '.####.', '.#..#.', '.####.', '......'];
  assert.equal(countHoles(grid(eight)), 2);
});

test('digitShape: paper that reaches the border (a C) or a one-pixel gap in a stroke is not a hole', () => {
  const c = ['.....', '.###.', '.#...', '.#...', '.###.', '.....'];
  assert.equal(countHoles(grid(c)), 0);
  // The single paper pixel inside a blob is a gap, not a loop (MIN_HOLE_PIXELS).
  const blob = ['.....', '.###.', '.#.#.', '.###.', '.....'];
  assert.equal(countHoles(grid(blob)), 0);
});

test('digitShape: an X thins to four ends meeting at one fork, its slanted arms kept to their tips', () => {
  const thin = skeleton(grid(CROSS));
  assert.deepEqual(shapeCounts(grid(CROSS)), { holes: 0, endpoints: 4, junctions: 1 });
  // The corners of the picture's ink survive thinning: the arms are not eaten from their ends.
  const rows = picture(thin);
  assert.equal(rows[1][1], '#');
  assert.equal(rows[1][7], '#');
  assert.equal(rows[6][1], '#');
  assert.equal(rows[6][7], '#');
});

test('digitShape: a thick bar thins to a one-pixel line with two ends; a T has three ends and one fork', () => {
  const bar = ['.....', '.###.', '.###.', '.###.', '.###.', '.###.', '.###.', '.....'];
  const thin = skeleton(grid(bar));
  assert.ok(
    picture(thin).every((row) => row.split('#').length - 1 <= 1),
    picture(thin).join('\n'),
  );
  assert.deepEqual(shapeCounts(grid(bar)), { holes: 0, endpoints: 2, junctions: 0 });
  const tee = ['.........', '.#######.', '.#######.', '....#....', '....#....', '....#....', '....#....', '.........'];
  assert.deepEqual(shapeCounts(grid(tee)), { holes: 0, endpoints: 3, junctions: 1 });
});

test('digitShape: the strong ink spans the longer side of its box; faint ink and an empty grid span nothing', () => {
  assert.equal(inkSpan(grid(CROSS)), 7);
  assert.equal(inkSpan(grid(['....', '....'])), 0);
  // Faint ink (below SHAPE_INK_LEVEL) around a small strong mark does not count.
  const input = new Float32Array(MNIST_PIXELS).fill(0.2);
  assert.equal(inputInkSpan(input), 0);
  for (let y = 18; y < 28; y++) for (let x = 3; x < 12; x++) input[y * MNIST_SIDE + x] = 1;
  assert.equal(inputInkSpan(input), 10);
  assert.ok(inputInkSpan(input) < MIN_INK_SPAN);
});

test('digitShape: real MNIST digits fill their 20-pixel box with strong ink', () => {
  const { test: split } = loadMnist();
  let short = 0;
  for (let n = 0; n < split.count; n++)
    if (inputInkSpan(split.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 255) < MIN_INK_SPAN) short++;
  // Measured by scripts/calibrateDigitLikeness.ts: 1 of the 10,000.
  assert.ok(short <= 2, `${short} of ${split.count} test digits span less than ${MIN_INK_SPAN}`);
});

test('digitShape: the key caps what no digit reaches', () => {
  assert.equal(shapeKey({ holes: 2, endpoints: 0, junctions: 1 }), '2h0e1j');
  assert.equal(shapeKey({ holes: 9, endpoints: 14, junctions: 8 }), '3h6e5j');
});

test('digitShape: a shape is unseen for a class when no training digit of that class has it', () => {
  const x = new Float32Array(MNIST_PIXELS);
  // The X drawn on the 28×28 input, scaled up three times.
  CROSS.forEach((row, y) =>
    Array.from(row).forEach((c, cx) => {
      if (c !== '#') return;
      for (let dy = 0; dy < 3; dy++)
        for (let dx = 0; dx < 3; dx++) x[(2 + 3 * y + dy) * MNIST_SIDE + 1 + 3 * cx + dx] = 1;
    }),
  );
  const shape = inputShape(x);
  assert.equal(shape.holes, 0);
  assert.equal(shape.endpoints, 4);
  const eights = { '2h0e1j': 900, '1h2e1j': 400 };
  const table = Array.from({ length: 10 }, (_, d) => (d === 8 ? eights : { [shapeKey(shape)]: 12 }));
  assert.deepEqual(unseenShape(x, 8, table), shape);
  assert.equal(unseenShape(x, 4, table), null);
});

test('digitShape: real MNIST test digits nearly all have a shape training digits of their class have', () => {
  const { test: split } = loadMnist();
  let unseen = 0;
  const count = 1000;
  for (let n = 0; n < count; n++) {
    const image = split.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS);
    if ((TRAINING_SHAPES[split.labels[n]][shapeKey(inputShape(image, 255))] ?? 0) === 0) unseen++;
  }
  // Measured on all 10,000 with their labels by scripts/calibrateDigitLikeness.ts: well under 1 %.
  assert.ok(
    unseen <= 0.01 * count,
    `${unseen} of ${count} test digits have a shape no training digit of their class has`,
  );
  // And the table is MNIST's own: every class is there, holding its 5,400–6,800 training digits.
  assert.equal(TRAINING_SHAPES.length, 10);
  for (const counts of TRAINING_SHAPES) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    assert.ok(total >= 5400 && total <= 6800, `${total}`);
  }
});
