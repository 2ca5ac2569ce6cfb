/**
 * A small seeded PRNG (mulberry32) so every simulator's data set and fault sequence is the same
 * for the same seed, on every machine.
 */
export class Random {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `count` distinct items (fewer when the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) {
      out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    }
    return out;
  }

  hex(length: number): string {
    // Joined once, not appended: a string built a character at a time is a chain of pieces in
    // memory (hundreds of bytes for 32 characters) until something flattens it.
    const digits = new Array<string>(length);
    for (let i = 0; i < length; i++) digits[i] = HEX[Math.floor(this.next() * 16)]!;
    return digits.join('');
  }

  /** A UUID v4-shaped string drawn from this generator. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A derived generator, so adding draws in one part of a data set does not shift another. */
  fork(label: string): Random {
    return new Random((hashString(label) ^ Math.floor(this.next() * 0xffffffff)) >>> 0);
  }
}

const HEX = '0123456789abcdef';

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
