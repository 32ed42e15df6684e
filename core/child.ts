// Child processes run TypeScript entry points; they need the tsx loader whether or not this process was
// started with it (tests run under vitest, which transforms TS itself and passes no loader on).
export function tsChildExecArgv(): string[] {
  const hasTsx = process.execArgv.some((a) => a.includes('tsx'))
  return hasTsx ? process.execArgv : [...process.execArgv, '--import', import.meta.resolve('tsx')]
}
