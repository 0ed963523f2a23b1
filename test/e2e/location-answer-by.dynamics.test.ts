import { runLocationAnswerBySuite } from './location-answer-by.suite.js';

runLocationAnswerBySuite('dynamics');
