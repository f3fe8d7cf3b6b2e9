// Evaluates the kiosk's polkit rule against a stub of polkit's JavaScript
// API: the stadtkiosk user may mount a removable drive's filesystem, and
// gets nothing else (other actions, internal disks, other users).
// A rule that allowed too much would fail here; so would one that allowed
// nothing (the first case is the negative control of the others).
//
// SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
const fs = require('fs');

const rules = [];
const polkit = {
  Result: { YES: 'yes', NO: 'no', AUTH_ADMIN: 'auth_admin', NOT_HANDLED: null },
  addRule: (f) => rules.push(f),
  log: () => {},
};
new Function('polkit', fs.readFileSync(process.argv[2], 'utf8'))(polkit);

function decide (user, id, details) {
  const action = { id, lookup: (k) => details[k] };
  const subject = { user, isInGroup: () => false, active: true, local: true };
  for (const rule of rules) {
    const r = rule(action, subject);
    if (r !== null && r !== undefined) return r;
  }
  return null;
}

const removable = { 'drive.removable': 'true', 'id.type': 'vfat' };
const internal = { 'drive.removable': 'false', 'id.type': 'ext4' };
const cases = [
  ['stadtkiosk', 'org.freedesktop.udisks2.filesystem-mount', removable, 'yes'],
  ['stadtkiosk', 'org.freedesktop.udisks2.filesystem-mount', internal, null],
  ['stadtkiosk', 'org.freedesktop.udisks2.filesystem-mount', {}, null],
  ['stadtkiosk', 'org.freedesktop.udisks2.filesystem-mount-system', removable, null],
  ['stadtkiosk', 'org.freedesktop.udisks2.filesystem-mount-other-seat', removable, null],
  ['stadtkiosk', 'org.freedesktop.udisks2.modify-device', removable, null],
  ['stadtkiosk', 'org.freedesktop.udisks2.encrypted-unlock', removable, null],
  ['stadtkiosk', 'org.freedesktop.login1.reboot', {}, null],
  ['stadtkiosk', 'org.freedesktop.packagekit.package-install', {}, null],
  ['someone', 'org.freedesktop.udisks2.filesystem-mount', removable, null],
];
let failed = 0;
for (const [user, id, details, want] of cases) {
  const got = decide(user, id, details);
  const ok = got === want;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${user} ${id} ${JSON.stringify(details)}: ${got} (want ${want})`);
}
process.exit(failed ? 1 : 0);
