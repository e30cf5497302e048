import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { MachineInfo } from '../report/results.ts';

export function machineInfo(): MachineInfo {
  let release = '';
  try {
    release = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    release = os.type();
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? '?',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    os: release,
    node: process.version,
    loadAverage: { start: loadAverage(), end: [] },
  };
}

export const loadAverage = (): number[] => os.loadavg().map((v) => Math.round(v * 100) / 100);
