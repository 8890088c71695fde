import { Module } from '@nestjs/common';
import {
  LIVE_CONNECTION_OBSERVER,
  LIVE_SESSION_DIRECTORY,
  LiveSessionRegistry,
  RecordingConnectionObserver,
} from './live-directory';
import { LiveAutomationAccess } from './live-automation-access';
import { LiveHubs } from './live-hubs';
import { LiveTickets } from './live-tickets';
import { LiveController } from './live.controller';
import { LiveSocket } from './live.socket';

/**
 * The live-session path (docs/live-sessions.md): connect tickets, the viewer WebSocket and its
 * session hubs, and the automation CDP proxy. The directory and the connection observer are the
 * seams for the runtime backend and the sessions context; both are exported so they can be
 * replaced (`useExisting`) or called.
 */
@Module({
  controllers: [LiveController],
  providers: [
    LiveSessionRegistry,
    RecordingConnectionObserver,
    { provide: LIVE_SESSION_DIRECTORY, useExisting: LiveSessionRegistry },
    { provide: LIVE_CONNECTION_OBSERVER, useExisting: RecordingConnectionObserver },
    LiveTickets,
    LiveHubs,
    LiveSocket,
    LiveAutomationAccess,
  ],
  exports: [
    LiveSessionRegistry,
    RecordingConnectionObserver,
    LiveHubs,
    LiveAutomationAccess,
    LIVE_SESSION_DIRECTORY,
  ],
})
export class LiveModule {}
