// mailauth 4.13 writes a debug line with console.log when a DKIM signature's l= differs from the body length
// (lib/dkim/dkim-verifier.js: `console.log('TOTAL', …)`). stdout carries data only, so that one line is dropped
// while mailauth runs; every other console.log call passes through untouched.

let depth = 0;
let original: typeof console.log | null = null;

export async function withQuietMailauth<T>(fn: () => Promise<T>): Promise<T> {
  if (depth++ === 0) {
    original = console.log;
    const pass = original;
    console.log = (...args: unknown[]) => {
      if (args[0] === 'TOTAL' && args[2] === 'EXPECTING') return;
      pass.apply(console, args);
    };
  }
  try {
    return await fn();
  } finally {
    if (--depth === 0 && original) {
      console.log = original;
      original = null;
    }
  }
}
