// What a submitter needs to queue a flow and wait for it: a FlowProducer, the queue's event
// stream, and a watch that says in one line when Redis goes away and comes back. Shared by the
// flows whose submitter only waits for the parent (the tournament, the catalogue's groups).
import { FlowProducer, QueueEvents } from "bullmq";
import type { Config } from "../config/schema.js";
import { queueConnection } from "./connection.js";
import { watchConnection } from "./connection-watch.js";
import { TRAIN_QUEUE } from "./payload.js";

export interface FlowSession {
  flows: FlowProducer;
  events: QueueEvents;
  close(): Promise<void>;
}

/** Opens a session on config.queue.url; `waiting` ends the watch's line about a lost connection. Its events are ready. */
export async function openFlowSession(config: Config, log: (line: string) => void, waiting: string): Promise<FlowSession> {
  const connection = queueConnection(config.queue.url);
  const eventsConnection = queueConnection(config.queue.url);
  const prefix = config.queue.prefix;
  const flows = new FlowProducer({ connection, prefix });
  const events = new QueueEvents(TRAIN_QUEUE, { connection: eventsConnection, prefix });
  // While Redis is away each reconnection attempt is an error event: the watch's one line says
  // it; without listeners BullMQ prints every attempt's stack on stderr.
  events.on("error", () => undefined);
  flows.on("error", () => undefined);
  const watch = watchConnection(connection, config.queue.url, log, waiting);
  const close = async () => {
    watch.stop();
    await events.close();
    await flows.close();
    // BullMQ leaves connections it was given open: close them, or the process never exits.
    connection.disconnect();
    eventsConnection.disconnect();
  };
  try {
    await events.waitUntilReady();
  } catch (error) {
    await close();
    throw error;
  }
  return { flows, events, close };
}
