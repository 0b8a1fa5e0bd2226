#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright: the ctr developers
# GNU Lesser General Public License v2.1 or later (see COPYING or https://www.gnu.org/licenses/lgpl-2.1.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ctr_apply
short_description: Converge the ctr containers of a host in one idempotent step
version_added: "0.1.0"
description:
  - Makes the ctr config directory (C(/etc/ctr), or the first directory of C(CTR_CONFIG_PATH)) hold exactly
    the containers described, with C(ctrctl apply --json).
  - Everything is validated first, by container name and with the drop-ins, as the generator and the
    launcher will see it once installed. One invalid file and nothing is written; the task fails with
    ctrctl's C(file:line) errors.
  - Changed files are replaced atomically, systemd is reloaded once and only when a file changed, and only
    the running containers whose effective configuration changed are restarted, all by C(ctrctl apply)
    itself. No handlers are needed, and the task is C(changed) only when a file was written or removed or a
    unit was started, restarted or stopped.
  - With I(containers), the desired files are written into a private temporary directory (mode 0700, a
    random name) that becomes ctrctl's SOURCE. Validation never depends on that directory's path or name;
    ctrctl validates each container as the name it is installed under, with the drop-ins given here and
    those of the lower directories of the search path.
  - The environment of the task is passed to ctrctl, so C(CTR_CONFIG_PATH) set with the C(environment)
    keyword selects another config directory.
author:
  - ctr developers (@ctr)
requirements:
  - C(ctrctl) on the managed host (the ctr package).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Runs C(ctrctl apply --check), which reports what would be written, reloaded and restarted.
  diff_mode:
    support: full
    details: The unified diff of every file that changes, from C(ctrctl apply --diff).
  platform:
    platforms: posix
options:
  containers:
    description:
      - The desired containers, a dictionary from container name to its files, given inline.
      - Each value is a dictionary with C(content), the text of C(NAME.ctr), and optionally C(dropins), a
        dictionary from drop-in file name (C(FILE.conf)) to its text, installed as C(NAME.ctr.d/FILE.conf).
      - The files become exactly these, byte for byte. A drop-in installed before that is not listed is
        removed.
      - A container installed before that is not listed is left alone, unless I(prune=true).
      - Mutually exclusive with I(src); one of the two is required.
    type: dict
  src:
    description:
      - Directories (or single C(NAME.ctr) files) on the managed host holding the desired C(NAME.ctr) files
        and C(NAME.ctr.d/) drop-in directories, passed to C(ctrctl apply) as its SOURCE arguments.
      - Mutually exclusive with I(containers).
    type: list
    elements: path
  prune:
    description:
      - Also stop and remove the containers the config directory holds that are not described
        (C(ctrctl apply --prune)).
      - Their persistent data is kept unless I(remove_data=true).
    type: bool
    default: false
  remove_data:
    description:
      - With I(prune=true), also remove the persistent data of the removed containers
        (C(ctrctl apply --remove-data)).
    type: bool
    default: false
  state:
    description:
      - C(present) installs the files, starts the new containers and restarts the running ones whose
        configuration changed; a stopped container is left stopped.
      - C(started) also starts every described container that is not running (C(ctrctl apply --start)).
    type: str
    choices: [present, started]
    default: present
  restart:
    description:
      - When C(false), write the files and reload systemd only; start, restart and stop nothing, and report
        what would have been (C(ctrctl apply --no-restart)).
      - Cannot be C(false) with I(state=started).
    type: bool
    default: true
  ctrctl:
    description:
      - The C(ctrctl) program to run, a name looked up on C(PATH) or a path.
    type: str
    default: ctrctl
notes:
  - Without systemd as PID 1 on the managed host, only the files are written; I(systemd) is then false.
  - Names and drop-in file names starting with C(.) are refused, as the search path ignores them.
  - The ctrctl(1) manual describes C(ctrctl apply), its order of work and its JSON output.
'''

EXAMPLES = r'''
- name: Run a web server and a worker, nothing else
  ctr.containers.ctr_apply:
    prune: true
    state: started
    containers:
      web:
        content: |
          [Container]
          Image=host
          Exec=/usr/bin/python3 -m http.server 8080

          [Install]
          WantedBy=multi-user.target
        dropins:
          10-limits.conf: |
            [Container]
            MemoryMax=256M
      worker:
        content: "{{ lookup('ansible.builtin.template', 'worker.ctr.j2') }}"

- name: Install the containers a directory on the host describes, restarting nothing
  ctr.containers.ctr_apply:
    src: /srv/ctr/desired
    restart: false

- name: Use another config directory (the environment is passed to ctrctl)
  ctr.containers.ctr_apply:
    containers:
      web:
        content: "{{ web_ctr }}"
  environment:
    CTR_CONFIG_PATH: /run/ctr-staging
'''

RETURN = r'''
changed:
  description: Whether a file was (with check mode, would be) written or removed, or a unit started,
    restarted or stopped; exactly C(ctrctl apply)'s C(changed).
  returned: always
  type: bool
target:
  description: The config directory the files are installed in.
  returned: success
  type: str
  sample: /etc/ctr
systemd:
  description: Whether systemd was reached and used (false without systemd as PID 1, where only the files
    are written).
  returned: success
  type: bool
reloaded:
  description: Whether systemd was (with check mode, would be) reloaded.
  returned: success
  type: bool
containers:
  description: One report per container, those described in order, then the removed ones.
  returned: success, and when a start or restart failed
  type: list
  elements: dict
  contains:
    name:
      description: The container's name.
      type: str
      sample: web
    state:
      description: What happened to it.
      type: str
      sample: updated
      choices: [unchanged, created, updated, restarted, started, removed]
    config_changed:
      description: Whether its effective configuration hash differs from that of the files installed
        before.
      type: bool
    hash:
      description: The SHA-256 of its effective configuration (as C(ctrctl hash) prints it); null for a
        removed container.
      type: str
    previous_hash:
      description: The hash of the files installed before; null when there were none.
      type: str
    running:
      description: Whether its unit runs (null without systemd).
      type: bool
    job:
      description: What was (would be) done to its unit, C(start), C(restart) or C(stop); null for nothing.
      type: str
    result:
      description: The result of that job as systemd reports it (C(done), C(failed), C(timeout), ...); null
        when no job ran or in check mode.
      type: str
    error:
      description: Why its job failed, as systemd says it; null when it did not.
      type: str
    files:
      description: Its files, each with C(path) (relative to I(target)) and C(action) (C(unchanged),
        C(create), C(update) or C(remove)).
      type: list
      elements: dict
      sample: [{"path": "web.ctr", "action": "update"}]
    diff:
      description: The unified diff of its changed files (diff mode only).
      type: str
stderr:
  description: What ctrctl printed on standard error (its C(file:line) diagnostics).
  returned: always
  type: str
'''

import json
import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.six import string_types


def check_file_name(module, what, name):
    # the name becomes a path component of the SOURCE directory: it must not climb out of it, and one the
    # search path ignores (a dot file) would be silently left out instead of installed
    if not isinstance(name, string_types) or not name or '/' in name or '\0' in name or name.startswith('.'):
        module.fail_json(msg="Invalid %s %r: it must be a file name not starting with '.'" % (what, name))


def write_file(path, text):
    with open(path, 'wb') as f:
        f.write(to_bytes(text, errors='surrogate_or_strict'))


def write_source(module, containers, directory):
    for name, spec in containers.items():
        check_file_name(module, 'container name', name)
        if not isinstance(spec, dict):
            module.fail_json(msg="containers[%s] must be a dictionary with 'content' and 'dropins'" % name)
        unknown = sorted(set(spec) - set(['content', 'dropins']))
        if unknown:
            module.fail_json(msg="containers[%s]: unknown key(s) %s, expected 'content' and 'dropins'"
                             % (name, ', '.join(unknown)))
        content = spec.get('content')
        if not isinstance(content, string_types):
            module.fail_json(msg="containers[%s].content must be a string (the text of %s.ctr)" % (name, name))
        dropins = spec.get('dropins') or {}
        if not isinstance(dropins, dict):
            module.fail_json(msg="containers[%s].dropins must be a dictionary FILE.conf: text" % name)
        write_file(os.path.join(directory, name + '.ctr'), content)
        if not dropins:
            continue
        dropin_dir = os.path.join(directory, name + '.ctr.d')
        os.mkdir(dropin_dir, 0o700)
        for file_name, text in dropins.items():
            check_file_name(module, 'drop-in name in containers[%s].dropins' % name, file_name)
            if not file_name.endswith('.conf'):
                module.fail_json(msg="containers[%s].dropins: %r does not end in .conf, ctr would ignore it"
                                 % (name, file_name))
            if not isinstance(text, string_types):
                module.fail_json(msg="containers[%s].dropins[%s] must be a string" % (name, file_name))
            write_file(os.path.join(dropin_dir, file_name), text)


def find_ctrctl(module, ctrctl):
    if '/' in ctrctl:
        if not os.access(ctrctl, os.X_OK):
            module.fail_json(msg="ctrctl %s is not an executable file" % ctrctl)
        return ctrctl
    return module.get_bin_path(ctrctl, required=True)


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            containers=dict(type='dict'),
            src=dict(type='list', elements='path'),
            prune=dict(type='bool', default=False),
            remove_data=dict(type='bool', default=False),
            state=dict(type='str', default='present', choices=['present', 'started']),
            restart=dict(type='bool', default=True),
            ctrctl=dict(type='str', default='ctrctl'),
        ),
        mutually_exclusive=[['containers', 'src']],
        required_one_of=[['containers', 'src']],
        supports_check_mode=True,
    )
    p = module.params
    if p['remove_data'] and not p['prune']:
        module.fail_json(msg="remove_data=true needs prune=true: only pruned containers have their data removed")
    if p['state'] == 'started' and not p['restart']:
        module.fail_json(msg="state=started starts containers, restart=false starts nothing: choose one")

    ctrctl = find_ctrctl(module, p['ctrctl'])
    cmd = [ctrctl, 'apply', '--json']
    if module.check_mode:
        cmd.append('--check')
    if module._diff:
        cmd.append('--diff')
    if p['prune']:
        cmd.append('--prune')
    if p['remove_data']:
        cmd.append('--remove-data')
    if p['state'] == 'started':
        cmd.append('--start')
    if not p['restart']:
        cmd.append('--no-restart')

    tmpdir = None
    try:
        if p['containers'] is not None:
            # mkdtemp: mode 0700, a name nobody else can have taken or predict
            tmpdir = tempfile.mkdtemp(prefix='ctr-apply-')
            write_source(module, p['containers'], tmpdir)
            cmd.append(tmpdir)
        else:
            cmd.extend(p['src'])
        rc, out, err = module.run_command(cmd)
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)

    # the diagnostics name the temporary SOURCE's files; what the user wrote is NAME.ctr, so name that
    shown = err.replace(tmpdir + '/', '') if tmpdir else err
    try:
        report = json.loads(out)
    except ValueError:
        module.fail_json(msg="ctrctl apply failed (exit status %d): %s" % (rc, shown.strip() or out.strip()),
                         rc=rc, stdout=out, stderr=err, cmd=cmd)

    if not report.get('valid', False):
        module.fail_json(msg="Invalid container configuration, nothing was written:\n%s" % shown.strip(),
                         rc=rc, stderr=shown, changed=False)

    result = dict(
        changed=bool(report.get('changed')),
        target=report.get('target'),
        systemd=bool(report.get('systemd', False)),
        reloaded=bool(report.get('reloaded', False)),
        containers=report.get('containers', []),
        stderr=shown,
    )
    if module._diff:
        result['diff'] = [dict(prepared=c['diff']) for c in result['containers'] if c.get('diff')]
    if rc != 0:
        # the files stay written: the report says which unit's job failed and why
        failed = ['%s (%s)' % (c['name'], c.get('error') or c.get('result'))
                  for c in result['containers'] if c.get('result') not in (None, 'done')]
        module.fail_json(msg="ctrctl apply failed (exit status %d)%s: %s"
                         % (rc, ' for ' + ', '.join(failed) if failed else '', shown.strip()),
                         rc=rc, **result)
    module.exit_json(**result)


def main():
    run_module()


if __name__ == '__main__':
    main()
