import type { Command } from 'commander';

/** Registers `compute`. */
export function registerComputeCommands(program: Command): void {
  void program;
}
