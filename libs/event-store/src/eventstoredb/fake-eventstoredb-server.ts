/**
 * An in-memory stand-in for an EventStoreDB server, for tests only: it answers the gRPC calls the
 * real `@eventstore/db-client` makes for the port (Streams.Append; Streams.Read on a stream, on
 * `$all`, and as a `$all` subscription with prefix filters), so the adapter's mapping runs end to
 * end through the real client. It is NOT EventStoreDB: idempotency, positions and metadata follow
 * the documented server behaviour as closely as this file can (ADR 0002), and a real server run
 * (BPANE_EVENTSTORE_URL) remains the reference. Built on the client's own generated stubs.
 */
import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb';

const requireFromClient = createRequire(createRequire(import.meta.url).resolve('@eventstore/db-client'));
const grpc = requireFromClient('@grpc/grpc-js') as typeof Grpc;
const pb = requireFromClient('../generated/streams_pb') as typeof StreamsPb;
const shared = requireFromClient('../generated/shared_pb') as typeof SharedPb;
const streamsGrpc = requireFromClient('../generated/streams_grpc_pb') as {
  StreamsService: Grpc.ServiceDefinition;
};
const featuresGrpc = requireFromClient('../generated/serverfeatures_grpc_pb') as {
  ServerFeaturesService: Grpc.ServiceDefinition;
};

type Stored = {
  streamId: string;
  revision: number;
  id: string;
  metadata: [string, string][];
  custom: Uint8Array;
  data: Uint8Array;
  position: bigint;
  created: string;
};

type Listener = (event: Stored) => void;

const decode = (bytes: Uint8Array | string): string =>
  typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');

const uuidText = (uuid: SharedPb.UUID | undefined): string => {
  if (uuid === undefined) return '';
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
    const h = hex(s.getMostSignificantBits()) + hex(s.getLeastSignificantBits());
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return uuid.getString();
};

export type FakeEventStoreDb = Readonly<{ url: string; close: () => Promise<void> }>;

export const startFakeEventStoreDb = async (): Promise<FakeEventStoreDb> => {
  const log: Stored[] = [];
  const streams = new Map<string, Stored[]>();
  const listeners = new Set<Listener>();
  let nextPosition = 1_000n;

  /** Index of the first event at or after `position` (the log is in position order). */
  const lowerBound = (position: bigint): number => {
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const record = (e: Stored): StreamsPb.ReadResp => {
    const rec = new pb.ReadResp.ReadEvent.RecordedEvent();
    const id = new shared.UUID();
    id.setString(e.id);
    const sid = new shared.StreamIdentifier();
    sid.setStreamName(Buffer.from(e.streamId));
    rec.setId(id);
    rec.setStreamIdentifier(sid);
    rec.setStreamRevision(String(e.revision));
    rec.setPreparePosition(e.position.toString());
    rec.setCommitPosition(e.position.toString());
    for (const [k, v] of e.metadata) rec.getMetadataMap().set(k, v);
    rec.getMetadataMap().set('created', e.created);
    rec.setCustomMetadata(e.custom);
    rec.setData(e.data);
    const read = new pb.ReadResp.ReadEvent();
    read.setEvent(rec);
    read.setCommitPosition(e.position.toString());
    const resp = new pb.ReadResp();
    resp.setEvent(read);
    return resp;
  };

  const wrongVersion = (current: number, options: StreamsPb.AppendReq.Options): StreamsPb.AppendResp => {
    const w = new pb.AppendResp.WrongExpectedVersion();
    if (current >= 0) w.setCurrentRevision(String(current));
    else w.setCurrentNoStream(new shared.Empty());
    if (options.hasRevision()) w.setExpectedRevision(options.getRevision());
    else if (options.hasNoStream()) w.setExpectedNoStream(new shared.Empty());
    else if (options.hasStreamExists()) w.setExpectedStreamExists(new shared.Empty());
    else w.setExpectedAny(new shared.Empty());
    const resp = new pb.AppendResp();
    resp.setWrongExpectedVersion(w);
    return resp;
  };

  const success = (revision: number, position: bigint): StreamsPb.AppendResp => {
    const s = new pb.AppendResp.Success();
    s.setCurrentRevision(String(revision));
    const p = new pb.AppendResp.Position();
    p.setCommitPosition(position.toString());
    p.setPreparePosition(position.toString());
    s.setPosition(p);
    const resp = new pb.AppendResp();
    resp.setSuccess(s);
    return resp;
  };

  const append = (
    call: Grpc.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>,
    callback: Grpc.sendUnaryData<StreamsPb.AppendResp>,
  ) => {
    let options: StreamsPb.AppendReq.Options | undefined;
    const proposed: StreamsPb.AppendReq.ProposedMessage[] = [];
    call.on('data', (req: StreamsPb.AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) proposed.push(req.getProposedMessage()!);
    });
    call.on('end', () => {
      if (options === undefined)
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
      const streamId = decode(options.getStreamIdentifier()!.getStreamName());
      const list = streams.get(streamId) ?? [];
      const current = list.length - 1;
      const ids = proposed.map((m) => uuidText(m.getId()));
      // Idempotency as the server documents it: when events already sit where this write would go
      // (after the expected revision; for `any`, where the first id is found), the write is a
      // retry if all its ids are there in order, and a wrong expected version otherwise.
      const from = options.hasRevision()
        ? Number(options.getRevision()) + 1
        : options.hasNoStream()
          ? 0
          : list.findIndex((e) => e.id === ids[0]);
      if (from >= 0 && from <= current) {
        if (ids.length > 0 && ids.every((id, i) => list[from + i]?.id === id)) {
          const last = list[from + ids.length - 1]!;
          return callback(null, success(last.revision, last.position));
        }
        return callback(null, wrongVersion(current, options));
      }
      const ok = options.hasAny()
        ? true
        : options.hasStreamExists()
          ? current >= 0
          : options.hasNoStream()
            ? current === -1
            : Number(options.getRevision()) === current;
      if (!ok) return callback(null, wrongVersion(current, options));
      const created = String(BigInt(Date.now()) * 10_000n);
      for (const m of proposed) {
        nextPosition += 137n; // sparse, like offsets in a transaction file
        const e: Stored = {
          streamId,
          revision: list.length,
          id: uuidText(m.getId()),
          metadata: [...m.getMetadataMap().entries()] as [string, string][],
          custom: m.getCustomMetadata_asU8(),
          data: m.getData_asU8(),
          position: nextPosition,
          created,
        };
        list.push(e);
        log.push(e);
      }
      streams.set(streamId, list);
      const last = list[list.length - 1]!;
      callback(null, success(last.revision, last.position));
      for (const e of list.slice(list.length - proposed.length)) for (const l of listeners) l(e);
    });
  };

  const matches = (filter: StreamsPb.ReadReq.Options.FilterOptions | undefined, e: Stored): boolean => {
    if (filter === undefined) return true;
    const type = e.metadata.find(([k]) => k === 'type')?.[1] ?? '';
    const [expr, value] = filter.hasStreamIdentifier()
      ? [filter.getStreamIdentifier()!, e.streamId]
      : [filter.getEventType()!, type];
    const prefixes = expr.getPrefixList();
    if (prefixes.length > 0) return prefixes.some((p) => value.startsWith(p));
    return expr.getRegex() === '' || new RegExp(expr.getRegex()).test(value);
  };

  const read = (call: Grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>) => {
    const o = call.request.getOptions()!;
    const backwards = o.getReadDirection() === pb.ReadReq.Options.ReadDirection.BACKWARDS;
    const count = o.hasCount() ? Number(o.getCount()) : Number.MAX_SAFE_INTEGER;
    if (o.hasStream()) {
      const so = o.getStream()!;
      const streamId = decode(so.getStreamIdentifier()!.getStreamName());
      const list = streams.get(streamId);
      if (list === undefined) {
        const nf = new pb.ReadResp.StreamNotFound();
        nf.setStreamIdentifier(so.getStreamIdentifier());
        const resp = new pb.ReadResp();
        resp.setStreamNotFound(nf);
        call.write(resp);
        return call.end();
      }
      let rev = so.hasStart()
        ? backwards
          ? -1
          : 0
        : so.hasEnd()
          ? list.length - 1
          : Number(so.getRevision());
      if (backwards) rev = Math.min(rev, list.length - 1);
      for (let n = 0; n < count && rev >= 0 && rev < list.length; n++, rev += backwards ? -1 : 1) {
        call.write(record(list[rev]!));
      }
      return call.end();
    }
    const ao = o.getAll()!;
    const from = ao.hasStart()
      ? -1n
      : ao.hasEnd()
        ? nextPosition + 1n
        : BigInt(ao.getPosition()!.getCommitPosition());
    const filter = o.hasFilter() ? o.getFilter() : undefined;
    if (!o.hasSubscription()) {
      // Forwards includes the event at `from`; backwards returns the ones before it.
      let written = 0;
      const step = backwards ? -1 : 1;
      for (
        let i = lowerBound(from) - (backwards ? 1 : 0);
        i >= 0 && i < log.length && written < count;
        i += step
      ) {
        if (matches(filter, log[i]!)) {
          call.write(record(log[i]!));
          written++;
        }
      }
      return call.end();
    }
    const confirmation = new pb.ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(`fake-${Date.now()}`);
    const confirm = new pb.ReadResp();
    confirm.setConfirmation(confirmation);
    call.write(confirm);
    // A subscription starts after `from` (exclusive), then follows live.
    for (let i = lowerBound(from + 1n); i < log.length; i++)
      if (matches(filter, log[i]!)) call.write(record(log[i]!));
    const listener: Listener = (e) => {
      if (e.position > from && matches(filter, e)) call.write(record(e));
    };
    listeners.add(listener);
    const stop = () => listeners.delete(listener);
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  };

  const unimplemented = (_: unknown, callback: Grpc.sendUnaryData<unknown>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake server' });

  const server = new grpc.Server();
  server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods: unimplemented });
  server.addService(streamsGrpc.StreamsService, {
    append,
    read,
    delete: unimplemented,
    tombstone: unimplemented,
    batchAppend: (call: Grpc.ServerDuplexStream<unknown, unknown>) =>
      call.destroy(Object.assign(new Error('not in the fake server'), { code: grpc.status.UNIMPLEMENTED })),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) =>
      error === null ? resolve(p) : reject(error),
    ),
  );
  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    close: () =>
      new Promise<void>((resolve) => {
        listeners.clear();
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1_000).unref();
      }),
  };
};
