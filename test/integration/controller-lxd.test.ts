import { controllerSuite } from './controller-suite.js';

controllerSuite('lxd');
