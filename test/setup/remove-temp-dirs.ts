/**
 * Every test file removes the folders test/helpers/temp.ts made for it once
 * its tests are done, whether or not the file asks for that itself.
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);
