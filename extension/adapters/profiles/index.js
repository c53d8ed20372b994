import dataannotation from './dataannotation.js';
import prolific from './prolific.js';
import mturk from './mturk.js';
import outlier from './outlier.js';
import toloka from './toloka.js';

export const PROFILES = [dataannotation, prolific, mturk, outlier, toloka];

export function profileForHost(hostname) {
  return PROFILES.find((p) => p.hosts.includes(hostname)) || null;
}
