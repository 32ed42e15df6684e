// Advisory lock keys, in one place so two purposes never share one. Arbitrary constants every IOC process
// agrees on.
export const LOCKS = {
  migrations: 7_310_442_001,
  maintenance: 7_310_442_002,
  policies: 7_310_442_003,
  seed: 7_310_442_004,
} as const
