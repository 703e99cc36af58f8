/**
 * The turn order of the bench's interleaved measurements (bench/stats.ts): each round a permutation of the
 * variants, the same for the same seed, and not a rotation (which keeps one variant right after another).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shuffled, turnOrder } from '../../bench/stats.js';

const variants = ['floor', 'minimal', 'runtime-support', 'jit', 'r2r'] as const;

describe('bench turn order', () => {
  it('is a permutation of the variants every round', () => {
    const random = turnOrder();
    for (let round = 0; round < 200; round++) {
      assert.deepEqual([...shuffled(variants, random)].sort(), [...variants].sort());
    }
  });

  it('is the same for every run, and differs between rounds', () => {
    const draw = () => {
      const random = turnOrder();
      return Array.from({ length: 50 }, () => shuffled(variants, random).join(' '));
    };
    assert.deepEqual(draw(), draw());
    assert.ok(new Set(draw()).size > 20, 'a handful of orders only');
  });

  it('puts a variant right after a given other in about a fifth of the rounds, not in most', () => {
    const random = turnOrder();
    const rounds = 5000;
    let after = 0;
    for (let round = 0; round < rounds; round++) {
      const order = shuffled(variants, random);
      if (order.indexOf('minimal') === order.indexOf('floor') + 1) after++;
    }
    // Uniform permutations of 5: 4! of 5! put one given variant right after another.
    assert.ok(Math.abs(after / rounds - 1 / 5) < 0.03, `${after} of ${rounds}`);
  });
});
