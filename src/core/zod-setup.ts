/**
 * zod compiles fast validators with `new Function` when it can; the site's Content-Security-
 * Policy forbids eval, so the app and its Worker switch that off before any schema is used.
 */
import { z } from 'zod';

z.config({ jitless: true });
