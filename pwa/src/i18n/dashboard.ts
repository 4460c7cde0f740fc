// The dashboard screens' messages: imported by the screens that use them, so they load with them.
import zh from './dashboard.zh-CN';
import en from './dashboard.en';
import { registerMessages } from './index';

registerMessages({ 'zh-CN': zh, en });
