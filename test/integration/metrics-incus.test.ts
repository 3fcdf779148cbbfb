import { metricsSuite } from './metrics-suite.js';

metricsSuite('incus');
