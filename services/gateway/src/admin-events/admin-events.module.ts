import { Module } from '@nestjs/common';
import { AdminEventsController } from './admin-events.controller';
import { AdminEventsSocket } from './admin-events.socket';
import { AdminEventTickets } from './ticket-store';

@Module({
  controllers: [AdminEventsController],
  providers: [AdminEventTickets, AdminEventsSocket],
})
export class AdminEventsModule {}
