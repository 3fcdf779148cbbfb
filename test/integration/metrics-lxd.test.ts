import { metricsSuite } from './metrics-suite.js';

metricsSuite('lxd');
