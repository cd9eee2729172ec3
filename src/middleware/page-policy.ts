import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's default Content-Security-Policy, which the app sends (scripts from here only, none
 * inline), minus `upgrade-insecure-requests`: for the app's pages (`/docs`, `/signals`). Over
 * plain HTTP at anything but localhost (a worker's `METRICS_PORT` reached by host name) that
 * directive makes the browser ask for the page's scripts over HTTPS, and the page stays blank.
 */
export const pagePolicy: RequestHandler = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });
