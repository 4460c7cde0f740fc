import type helpZh from './help.zh-CN';

// English strings of the help screens, typed against help.zh-CN.ts.
const helpEn: Record<keyof typeof helpZh, string> = {};

export default helpEn;
