import { z } from 'zod';
import { plainText } from '../lib/validation.js';

export const personalTokenName = z.object({ name: plainText(z, 80) });
