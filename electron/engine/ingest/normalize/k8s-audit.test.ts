import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import { RecordError } from '../types.ts';
import type { JsonObject } from '../types.ts';
import { k8sAuditNormalizer } from './k8s-audit.ts';

const dir = dataset('kubernetes-audit', 'falco-k8s-audit-traces');
const load = (name: string): JsonObject =>
  JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')) as JsonObject;
const run = (value: JsonObject) =>
  k8sAuditNormalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

describe('k8s audit normalizer (real Falco traces)', () => {
  it('detects and normalizes all 23 events, with or without apiVersion', () => {
    const files = fs.readdirSync(dir);
    expect(files.length).toBe(23);
    for (const file of files) {
      const record = load(file);
      expect(k8sAuditNormalizer.detect(record)).toBeGreaterThanOrEqual(0.9);
      expect(run(record).source).toBe('k8s.audit');
    }
  });

  it('maps pods/attach exactly (µs precision, stage in the event id)', () => {
    expect(run(load('attach_pod.json'))).toEqual({
      time: Date.parse('2018-10-26T13:42:46Z') * 1000 + 808261,
      timeOriginal: '2018-10-26T13:42:46.808261Z',
      source: 'k8s.audit',
      action: 'create pods/attach',
      category: 'data_change',
      outcome: 'success',
      actor: { name: 'minikube-user', type: 'user' },
      target: {
        type: 'pods',
        id: 'default/nginx-deployment-7998647bdf-phvq7',
        name: 'nginx-deployment-7998647bdf-phvq7',
      },
      ip: '192.168.99.1',
      requestId: '14933b4e-7b09-4964-af09-b7987367e1ba',
      message:
        '/api/v1/namespaces/default/pods/nginx-deployment-7998647bdf-phvq7/attach?container=nginx1&stderr=true&stdin=true&stdout=true',
      changes: [],
      sourceEventId: expect.stringMatching(
        /^14933b4e-7b09-4964-af09-b7987367e1ba\/ResponseStarted\/[0-9a-f]{16}$/,
      ),
    });
  });

  it('a client-chosen auditID cannot make another request pass for a duplicate', () => {
    const real = load('attach_pod.json');
    const forged = { ...real, requestURI: '/api/v1/namespaces/default/secrets', verb: 'list' };
    const stages = { ...real, stage: 'ResponseComplete' };
    const ids = [real, forged, stages].map((r) => run(r).sourceEventId);
    expect(new Set(ids).size).toBe(3);
    // The same stage re-exported (a later stageTimestamp copy, other key order) keeps its id.
    expect(run(JSON.parse(JSON.stringify(real)) as typeof real).sourceEventId).toBe(ids[0]);
  });

  it('actor types, RBAC as iam, namespaces as cluster-scoped', () => {
    expect(run(load('anonymous_creates_namespace_foo.json'))).toMatchObject({
      actor: { name: 'system:anonymous', type: 'anonymous' },
      target: { type: 'namespaces', id: 'foo', name: 'foo' },
      outcome: 'success',
    });
    expect(run(load('create_nginx_pod_hostnetwork.json')).actor).toEqual({
      id: '8d5e1349-d30f-11e8-96d9-080027728ac4',
      name: 'system:serviceaccount:kube-system:replicaset-controller',
      type: 'serviceaccount',
    });
    expect(run(load('create_clusterrolebinding.json'))).toMatchObject({
      action: 'create clusterrolebindings',
      category: 'iam',
    });
    expect(run(load('create_nginx_pod_unsensitive_mount.json'))).toMatchObject({
      action: 'get pods',
      category: 'data_access',
    });
  });

  it('outcome from responseStatus.code: ≥400 failure, missing unknown', () => {
    const base = load('delete_configmap.json');
    expect(run({ ...base, responseStatus: { code: 403 } }).outcome).toBe('failure');
    const { responseStatus: _dropped, ...noStatus } = base;
    expect(run(noStatus).outcome).toBe('unknown');
  });

  it('falls back to requestReceivedTimestamp, then rejects', () => {
    const { stageTimestamp: _s, ...rest } = load('delete_configmap.json');
    expect(run(rest).timeOriginal).toBe(rest['requestReceivedTimestamp']);
    expect(() => run({ kind: 'Event', auditID: 'x', verb: 'get' })).toThrow(RecordError);
  });
});
