/**
 * The console's stylesheet, served at /console/assets/console.css (the CSP allows styles from the app only).
 * System fonts, no web fonts: quick on a plain office PC; Chinese falls back to what the machine has.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",system-ui,sans-serif;color:#1f2328;background:#f5f6f8}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;align-items:center;gap:24px;padding:0 20px;height:48px;background:#123a6b;color:#fff}
header.top .brand{font-weight:600;font-size:16px;white-space:nowrap}
header.top nav{display:flex;gap:4px;flex:1}
header.top nav a{color:#dbe6f5;padding:6px 12px;border-radius:4px}
header.top nav a.on,header.top nav a:hover{background:#1f4f8a;color:#fff;text-decoration:none}
header.top .me{display:flex;align-items:center;gap:10px;white-space:nowrap;font-size:13px}
header.top .me button{background:transparent;border:1px solid #8fb0d9;color:#fff;padding:2px 10px;border-radius:4px;cursor:pointer}
main{max-width:1200px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0 0 16px}h2{font-size:16px;margin:24px 0 8px}.card>h2:first-child,.card>p:first-child{margin-top:0}h3{font-size:14px;margin:16px 0 6px}
.card{background:#fff;border:1px solid #dfe3e8;border-radius:6px;padding:16px;margin-bottom:16px}
.search{display:flex;gap:8px}.search input{flex:1;font-size:16px;padding:8px 10px}
input,select,textarea,button{font:inherit}
input,select,textarea{border:1px solid #c3c9d1;border-radius:4px;padding:5px 8px;background:#fff}
button,.button{background:#0b57d0;color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer;display:inline-block}
button.secondary,.button.secondary{background:#e8ecf1;color:#1f2328}
button.danger{background:#b3261e}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end}
.filters label{display:flex;flex-direction:column;font-size:12px;color:#57606a}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e5e8ec;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600;font-size:13px;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
dl.fields{display:grid;grid-template-columns:180px 1fr;gap:4px 16px;margin:0}
dl.fields dt{color:#57606a}dl.fields dd{margin:0;white-space:pre-wrap;word-break:break-all}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;line-height:20px;white-space:nowrap}
.s-received{background:#fff4d6;color:#7a5600}.s-in_review{background:#dbeafe;color:#0b3d91}.s-closed{background:#e3f4e8;color:#1a5d2b}
.flag{color:#b3261e}
.muted{color:#6e7781;font-size:13px}
.notice{padding:10px 14px;border-radius:4px;margin-bottom:16px;background:#e3f4e8;border:1px solid #b7dfc3}
.error{padding:10px 14px;border-radius:4px;margin-bottom:16px;background:#fdecea;border:1px solid #f3b8b3;color:#8c1d18}
.answer{white-space:pre-wrap;background:#fbfcfd;border-left:3px solid #0b57d0;padding:8px 12px}
.totals{display:flex;flex-wrap:wrap;gap:24px}.totals div{min-width:140px}.totals b{display:block;font-size:18px}
ol.timeline{list-style:none;padding:0;margin:0}ol.timeline li{border-left:2px solid #c3c9d1;padding:0 0 12px 14px;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-6px;top:6px;width:10px;height:10px;border-radius:50%;background:#0b57d0}
.form-grid{display:grid;grid-template-columns:120px 1fr;gap:10px 12px;align-items:start;max-width:640px}
.form-grid textarea{width:100%;min-height:72px}
.pager{display:flex;gap:12px;align-items:center;margin-top:12px}
.login{max-width:360px;margin:80px auto}.login label{display:block;margin-bottom:12px}.login input{width:100%;padding:8px}
pre.json{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px}
.htmx-request{opacity:.6}
form.inline{display:inline-flex;gap:8px;align-items:center;margin:0 0 0 6px}
td.actions{white-space:nowrap}.form-row{display:flex;flex-wrap:wrap;gap:16px;align-items:center}
ol.chat{list-style:none;padding:0;margin:0}ol.chat li{margin:0 0 10px;padding:8px 12px;border-radius:6px;max-width:80%}
ol.chat .from-user{background:#f0f2f5}ol.chat .from-bot{background:#fbfcfd;border:1px solid #e5e8ec}ol.chat .from-staff{background:#e3f4e8;margin-left:auto}
ol.chat .meta{font-size:12px;color:#57606a}ol.chat .text{white-space:pre-wrap;word-break:break-all}
textarea[name=text]{width:100%;min-height:90px;margin-bottom:8px}ul.plain{margin:0;padding-left:16px}
`
