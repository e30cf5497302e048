#!/usr/bin/env node
// `rchat`: the terminal client. It runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
