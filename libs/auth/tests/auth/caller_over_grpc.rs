//! End to end over a real gRPC connection: a stand-in identity service serving `GetKeySet` and
//! `IssueServiceToken` behind the `AuthInterceptor`, called with key refresh, service tokens,
//! bearer tokens and no token at all.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use secrecy::SecretString;
use tachawor_auth::{
    AuthError, AuthInterceptor, BearerInterceptor, Caller, GrpcKeySource, ServiceAuthChannel,
    ServiceCaller, ServiceTokenSource, SigningKey, Verifier, VerifierSettings, start_key_refresh,
};
use tachawor_proto::identity::identity_service_client::IdentityServiceClient;
use tachawor_proto::identity::{
    GetKeySetRequest, GetKeySetResponse, IssueServiceTokenRequest, IssueServiceTokenResponse,
};
use tonic::codegen::{Body, BoxFuture, InterceptedService, StdError};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::transport::{Channel, Endpoint, Server, server::TcpIncoming};
use tonic::{Code, Request, Response, Status};

use crate::helpers::*;

const CLIENT_ID: &str = "consultation";
const CLIENT_SECRET: &str = "correct horse battery staple";

/// What the stand-in identity knows and saw.
struct State {
    key: SigningKey,
    /// The caller of each `GetKeySet`, as the interceptor established it.
    callers: Mutex<Vec<Caller>>,
}

/// Just enough of the identity service, routed by hand.
#[derive(Clone)]
struct StandInIdentity(Arc<State>);

impl NamedService for StandInIdentity {
    const NAME: &'static str = "tachawor.identity.v1.IdentityService";
}

impl<B> tonic::codegen::Service<http::Request<B>> for StandInIdentity
where
    B: Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let state = self.0.clone();
        match request.uri().path() {
            "/tachawor.identity.v1.IdentityService/GetKeySet" => Box::pin(async move {
                let mut grpc = Grpc::new(tonic_prost::ProstCodec::default());
                Ok(grpc.unary(GetKeySet(state), request).await)
            }),
            "/tachawor.identity.v1.IdentityService/IssueServiceToken" => Box::pin(async move {
                let mut grpc = Grpc::new(tonic_prost::ProstCodec::default());
                Ok(grpc.unary(IssueServiceToken(state), request).await)
            }),
            _ => Box::pin(async { Ok(Status::unimplemented("").into_http()) }),
        }
    }
}

struct GetKeySet(Arc<State>);

impl UnaryService<GetKeySetRequest> for GetKeySet {
    type Response = GetKeySetResponse;
    type Future = BoxFuture<Response<GetKeySetResponse>, Status>;

    fn call(&mut self, request: Request<GetKeySetRequest>) -> Self::Future {
        let state = self.0.clone();
        Box::pin(async move {
            state.callers.lock().unwrap().push(Caller::of(&request));
            Ok(Response::new(GetKeySetResponse {
                issuer: "tachawor-identity".into(),
                keys: vec![state.key.public_key()],
            }))
        })
    }
}

struct IssueServiceToken(Arc<State>);

impl UnaryService<IssueServiceTokenRequest> for IssueServiceToken {
    type Response = IssueServiceTokenResponse;
    type Future = BoxFuture<Response<IssueServiceTokenResponse>, Status>;

    fn call(&mut self, request: Request<IssueServiceTokenRequest>) -> Self::Future {
        let state = self.0.clone();
        Box::pin(async move {
            let credentials = request.into_inner();
            if credentials.client_id != CLIENT_ID || credentials.client_secret != CLIENT_SECRET {
                return Err(Status::unauthenticated("unknown client"));
            }
            let claims = service_claims(wall_now(), &credentials.client_id);
            Ok(Response::new(IssueServiceTokenResponse {
                access_token: state.key.sign(&claims).unwrap(),
                expires_at: Some(prost_types::Timestamp {
                    seconds: claims.exp,
                    nanos: 0,
                }),
            }))
        })
    }
}

/// A running stand-in identity; stops when dropped.
struct Running {
    state: Arc<State>,
    channel: Channel,
    url: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn spawn_identity() -> Running {
    let state = Arc::new(State {
        key: SigningKey::generate(),
        callers: Mutex::new(Vec::new()),
    });
    // Identity verifies its own tokens with keys it holds: no refresh task.
    let verifier = Verifier::new(&VerifierSettings::default());
    verifier.set_keys(&[state.key.public_key()]);
    let service = InterceptedService::new(
        StandInIdentity(state.clone()),
        AuthInterceptor::new(verifier),
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(
        Server::builder()
            .add_service(service)
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), async {
                stopped.await.ok();
            }),
    );
    let channel = Endpoint::from_shared(url.clone())
        .unwrap()
        .connect()
        .await
        .unwrap();
    Running {
        state,
        channel,
        url,
        _stop: stop,
    }
}

impl Running {
    fn last_caller(&self) -> Caller {
        self.state.callers.lock().unwrap().last().cloned().unwrap()
    }
}

#[tokio::test]
async fn keys_are_fetched_from_identity_over_grpc() {
    let identity = spawn_identity().await;
    let settings = VerifierSettings {
        identity_url: identity.url.clone(),
        ..Default::default()
    };
    let verifier = Verifier::new(&settings);
    let source = GrpcKeySource::connect_lazy(&settings.identity_url).unwrap();
    let task = start_key_refresh(verifier.clone(), Arc::new(source))
        .await
        .unwrap();
    assert_eq!(verifier.kids(), vec![identity.state.key.kid().to_string()]);
    let token = identity.state.key.sign(&claims(wall_now())).unwrap();
    assert!(verifier.verify(&token).is_ok());
    assert_eq!(
        identity.last_caller(),
        Caller::Anonymous,
        "GetKeySet needs no token"
    );
    task.abort();

    assert!(GrpcKeySource::connect_lazy("not a url").is_err());
}

#[tokio::test]
async fn a_service_token_travels_and_names_the_service() {
    let identity = spawn_identity().await;
    let tokens = ServiceTokenSource::new(
        identity.channel.clone(),
        CLIENT_ID,
        SecretString::from(CLIENT_SECRET),
    );
    let first = tokens.token().await.unwrap();
    assert_eq!(tokens.token().await.unwrap(), first, "cached");

    let mut client =
        IdentityServiceClient::new(ServiceAuthChannel::new(identity.channel.clone(), tokens));
    client.get_key_set(GetKeySetRequest {}).await.unwrap();
    assert_eq!(
        identity.last_caller(),
        Caller::Service(ServiceCaller {
            name: CLIENT_ID.into()
        })
    );
}

#[tokio::test]
async fn refused_credentials_fail_the_call_before_it_leaves() {
    let identity = spawn_identity().await;
    let tokens = ServiceTokenSource::new(
        identity.channel.clone(),
        CLIENT_ID,
        SecretString::from("wrong"),
    );
    assert!(matches!(
        tokens.token().await,
        Err(AuthError::CredentialsRefused(_))
    ));
    let mut client =
        IdentityServiceClient::new(ServiceAuthChannel::new(identity.channel.clone(), tokens));
    let status = client.get_key_set(GetKeySetRequest {}).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert!(
        identity.state.callers.lock().unwrap().is_empty(),
        "never sent"
    );
}

#[tokio::test]
async fn bearer_tokens_reach_handlers_as_callers_and_garbage_is_refused() {
    let identity = spawn_identity().await;
    let token = identity.state.key.sign(&claims(wall_now())).unwrap();
    let mut as_person = IdentityServiceClient::with_interceptor(
        identity.channel.clone(),
        BearerInterceptor::new(&token).unwrap(),
    );
    as_person.get_key_set(GetKeySetRequest {}).await.unwrap();
    let caller = identity.last_caller();
    assert_eq!(caller.account().unwrap().account_id, claims(0).sub);

    let mut with_garbage = IdentityServiceClient::with_interceptor(
        identity.channel.clone(),
        BearerInterceptor::new("garbage").unwrap(),
    );
    let status = with_garbage
        .get_key_set(GetKeySetRequest {})
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    assert_eq!(
        identity.state.callers.lock().unwrap().len(),
        1,
        "handler not reached"
    );
}
