/**
 * The independent harness's turn order (bench/independent.ts): each round a permutation of the candidates,
 * the same for the same seed, and not a rotation (which keeps one candidate right after another).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32, shuffledIndices } from '../../bench/stats.js';

describe('bench turn order', () => {
  it('is a permutation of the candidates every round', () => {
    const random = mulberry32(1);
    for (let round = 0; round < 200; round++) {
      const order = shuffledIndices(5, random);
      assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
    }
  });

  it('is the same for the same seed, and differs between rounds', () => {
    const draw = () => {
      const random = mulberry32(0x0dd5);
      return Array.from({ length: 50 }, () => shuffledIndices(4, random).join(''));
    };
    assert.deepEqual(draw(), draw());
    assert.ok(new Set(draw()).size > 10, 'a handful of orders only');
  });

  it('puts no candidate after the same one in most rounds', () => {
    const random = mulberry32(7);
    const rounds = 3000;
    let afterFloor = 0; // how often candidate 1 comes right after candidate 0
    for (let round = 0; round < rounds; round++) {
      const order = shuffledIndices(3, random);
      if (order.indexOf(1) === order.indexOf(0) + 1) afterFloor++;
    }
    // Uniform permutations of 3: 2 of 6 put 1 right after 0. Rotation did it in 2 of 3 rounds (with the boundary).
    assert.ok(Math.abs(afterFloor / rounds - 1 / 3) < 0.05, `${afterFloor} of ${rounds}`);
  });
});
