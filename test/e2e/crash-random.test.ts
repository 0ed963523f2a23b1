import { crashOptionsFromEnv, runRandomCrashSuite } from './crash-random.suite.js';

runRandomCrashSuite('salesforce', crashOptionsFromEnv(20_261));
runRandomCrashSuite('dynamics', crashOptionsFromEnv(20_262));
