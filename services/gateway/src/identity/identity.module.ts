import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { AccessReviewService } from './access-review.service';
import { RunIdentityMappingCommandHandler, RunServicePrincipalCommandHandler } from './identity-commands';
import {
  IdentityController,
  IdentityMappingsController,
  ServicePrincipalsController,
} from './identity.controller';
import { IdentityService } from './identity.service';

@Module({
  imports: [ProjectsModule],
  controllers: [IdentityController, ServicePrincipalsController, IdentityMappingsController],
  providers: [
    IdentityService,
    AccessReviewService,
    RunServicePrincipalCommandHandler,
    RunIdentityMappingCommandHandler,
  ],
  exports: [IdentityService],
})
export class IdentityModule {}
