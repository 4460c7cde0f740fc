// The learn screens' messages: imported by the screens that use them, so they load with them.
import zh from './learn.zh-CN';
import en from './learn.en';
import { registerMessages } from './index';

registerMessages({ 'zh-CN': zh, en });
