/*
 * Throughput check, run by hand (not part of the test suite):
 *
 *   node electron/engine/ingest/containers/throughput-check.ts [megabytes]
 *
 * Builds NDJSON of ~850-byte CloudTrail-like lines in memory, streams it in 64 KiB chunks through
 * readRecords (split, UTF-8 decode, JSON.parse, depth check) and prints MB/s on one core.
 */
import { readRecords } from './read-records.ts';

function sampleLine(n: number): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::123456789012:user/user${n % 97}`,
      accountId: '123456789012',
      userName: `user${n % 97}`,
    },
    eventTime: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: `10.0.${n % 255}.${n % 253}`,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0',
    requestParameters: {
      bucketName: 'example-bucket',
      key: `logs/2024/01/01/object-${n}.json.gz`,
      Host: 'example-bucket.s3.amazonaws.com',
    },
    responseElements: null,
    additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredOut: n * 7 },
    requestID: `REQ${n.toString(16).padStart(12, '0')}`,
    eventID: `0b7c4a3e-${n.toString(16).padStart(8, '0')}-4f6a-9c1d-2e3f4a5b6c7d`,
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::example-bucket/logs/object-${n}` }],
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
  });
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 200);
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < megabytes * 1e6; n++) {
    const line = sampleLine(n);
    lines.push(line);
    size += line.length + 1;
  }
  const data = Buffer.from(lines.join('\n') + '\n');
  const chunkSize = 64 * 1024;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
  }
  const started = performance.now();
  let records = 0;
  for await (const item of readRecords(chunks(), { kind: 'ndjson' })) if (item.kind === 'record') records++;
  const seconds = (performance.now() - started) / 1000;
  const average = Math.round(data.length / lines.length);
  console.log(
    `${records} records (~${average} B/line), ${(data.length / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s: ${(data.length / 1e6 / seconds).toFixed(0)} MB/s`,
  );
}

await main();
