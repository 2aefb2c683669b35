/** The local dashboard and read-only JSON API. The folder's public face: other folders import from here. */
export * from './apiRequest.js';
export * from './dashboardServer.js';
export * from './openApi.js';
export * from './sessionPool.js';
