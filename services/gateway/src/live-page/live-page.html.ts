/** The standalone live page (GET /live?session=<id>): a full-window view with a status bar. */
export const LIVE_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>BrowserPane live session</title>
<style>
  html, body { margin: 0; height: 100%; background: #202124; color: #e8eaed; font: 13px system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  #screen { flex: 1; min-height: 0; position: relative; }
  #bar { display: flex; gap: 16px; align-items: center; padding: 4px 10px; background: #303134; border-top: 1px solid #3c4043; }
  #bar .state[data-state="live"] { color: #81c995; }
  #bar .state[data-state="reconnecting"], #bar .state[data-state="connecting"] { color: #fdd663; }
  #bar .state[data-state="closed"] { color: #f28b82; }
  #bar .spacer { flex: 1; }
  #login { position: absolute; inset: 0; display: none; align-items: center; justify-content: center; }
  #login form { background: #303134; padding: 20px; border-radius: 8px; display: grid; gap: 10px; min-width: 320px; }
  #login input, #login button { font: inherit; padding: 6px 8px; }
  .bpane-read-only canvas { cursor: default; }
</style>
</head>
<body>
<div id="screen" tabindex="-1"></div>
<div id="login"><form><label for="token">Access token (bearer) for this gateway</label><input id="token" type="password" autocomplete="off" required><button type="submit">Connect</button></form></div>
<div id="bar" role="status">
  <span>session <b id="session">–</b></span>
  <span>role <b id="role">–</b></span>
  <span class="state" id="state" data-state="connecting">connecting</span>
  <span>RTT <b id="rtt">–</b></span>
  <span class="spacer"></span>
  <span id="message"></span>
</div>
<script type="module" src="/live/live.js"></script>
</body>
</html>
`;
