import type { ServerResponse } from 'node:http';
import type { EventSink } from '../app/event-sink.ts';

/** The Server-Sent Events wire format on an HTTP response whose head was written. */
export function sseSink(res: ServerResponse): EventSink {
  return {
    retry: (ms) => void res.write(`retry: ${ms}\n\n`),
    heartbeat: () => void res.write(': hb\n\n'),
    event: (type, data, id) =>
      void res.write(
        `${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`,
      ),
    get unreadBytes() {
      return res.writableLength;
    },
    get needsDrain() {
      return res.writableNeedDrain;
    },
    whenDrained(listener) {
      res.once('drain', listener);
      res.once('close', listener);
      return () => {
        res.off('drain', listener);
        res.off('close', listener);
      };
    },
    onClose: (listener) => void res.on('close', listener),
    end: () => void res.end(),
    destroy: () => void res.destroy(),
  };
}
