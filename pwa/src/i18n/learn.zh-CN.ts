// Simplified Chinese strings of the learn screens, spread into zh-CN.ts. Keys carry a feature
// prefix so they cannot collide with the main catalogue.
const learnZh = {} as const satisfies Record<string, string>;

export default learnZh;
