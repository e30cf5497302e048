// Thin entry points over the MLS machinery this package uses, for running the
// RFC 9420 interoperability test vectors. Not for application code.
export * from './crypto-basics.ts';
export * from './tree-math.ts';
export * from './codec.ts';
export * from './key-schedule.ts';
export * from './welcome.ts';
export * from './tree.ts';
export * from './treekem.ts';
export * from './message-protection.ts';
export * from './passive-client.ts';
