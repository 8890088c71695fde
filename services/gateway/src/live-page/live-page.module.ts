import { Module } from '@nestjs/common';
import { LivePageController } from './live-page.controller';

/** The standalone live page (docs/web-client.md): `GET /live/` and the web client bundle. */
@Module({ controllers: [LivePageController] })
export class LivePageModule {}
