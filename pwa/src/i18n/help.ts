// The help screens' messages: imported by the screens that use them, so they load with them.
import zh from './help.zh-CN';
import en from './help.en';
import { registerMessages } from './index';

registerMessages({ 'zh-CN': zh, en });
