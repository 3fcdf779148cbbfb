import { tuiSuite } from './tui-suite.js';

tuiSuite('incus');
