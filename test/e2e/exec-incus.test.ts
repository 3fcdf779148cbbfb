// `lxtop exec` end to end against the sandbox Incus daemon (see test/support/exec-suite.ts).
import { defineExecSuite } from '../support/exec-suite.js';

defineExecSuite('incus');
