/** Feature commands of the `satgate` CLI, registered lazily (see cli/main.ts). */
export {};
