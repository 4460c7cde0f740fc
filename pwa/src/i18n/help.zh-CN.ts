// Simplified Chinese strings of the help screens, spread into zh-CN.ts. Keys carry a feature
// prefix so they cannot collide with the main catalogue.
const helpZh = {} as const satisfies Record<string, string>;

export default helpZh;
