import type learnZh from './learn.zh-CN';

// English strings of the learn screens, typed against learn.zh-CN.ts.
const learnEn: Record<keyof typeof learnZh, string> = {};

export default learnEn;
