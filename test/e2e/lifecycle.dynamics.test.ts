import { runLifecycleSuite } from './lifecycle.suite.js';

runLifecycleSuite('dynamics');
