// The operator screens' messages: imported by the screens that use them, so they load with them.
import zh from './operator.zh-CN';
import en from './operator.en';
import { registerMessages } from './index';

registerMessages({ 'zh-CN': zh, en });
